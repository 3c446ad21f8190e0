"""A task that names an image the configuration lacks: pyflyte register would fail on it."""
from flytekit import task


@task(container_image="{{.image.trainer.fqn}}:{{.image.trainer.version}}")
def evaluate(score: float) -> bool:
    return score > 0.5
