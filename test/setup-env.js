// `natural` loads dotenv in some modules; keep it quiet and never read a stray .env in tests.
process.env.DOTENV_CONFIG_QUIET = 'true';
