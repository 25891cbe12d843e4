export { loadConfig, loadStoreConfig, loadTelegramConfig, type ConfigProblem } from './load-config';
export { ENV_DOCS, type Config, type TelegramConfig } from './schema';
