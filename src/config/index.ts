export { loadConfig, loadStoreConfig, type ConfigProblem } from './load-config';
export { ENV_DOCS, type Config } from './schema';
