"""Tasks whose images come from the image configuration (imgcfg lint --tasks checks them)."""
from flytekit import task, workflow


@task(container_image="{{.image.gpu.fqn}}:{{.image.gpu.version}}")
def train(epochs: int) -> float:
    return 0.9


@task(container_image="{{.image.spark}}")
def prepare() -> int:
    return 3


@workflow
def pipeline() -> float:
    return train(epochs=prepare())
