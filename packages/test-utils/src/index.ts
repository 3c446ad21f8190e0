/**
 * @imgcfg/test-utils: what the packages' tests share, in one private workspace package instead
 * of tests importing each other's files by relative path.
 */
export * from './cost.ts'
