import { defineConfig } from 'tsup'

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/Image.ts',
    'src/ImageConfig.ts',
    'src/ImageFlag.ts',
    'src/DefaultImages.ts',
    'src/Reference.ts',
    'src/ContainerImage.ts',
    'src/ImageSpec.ts',
    'src/codecs.ts',
    'src/errors.ts',
  ],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
  splitting: false,
})
