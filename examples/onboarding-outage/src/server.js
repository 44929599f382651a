import * as Sentry from '@sentry/node';
import config from 'config';
import { startOnboarding } from './onboarding.js';

Sentry.init({ dsn: process.env.SENTRY_DSN, environment: process.env.NODE_ENV });

const app = config.get('app');
const database = { ...config.get('db'), url: process.env.DATABASE_URL };

startOnboarding({
  app,
  database,
  apiBaseUrl: config.get('api.base_url'),
  sessionSecret: process.env.SESSION_SECRET,
  features: config.get('features'),
  timezone: process.env.TZ ?? 'UTC',
});
