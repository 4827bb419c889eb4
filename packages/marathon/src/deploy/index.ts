export { MarathonClient, lockingDeployments, appPath } from './marathon-client.js';
export type { MarathonClientOptions, MarathonDeployment, WriteResult } from './marathon-client.js';
export { MarathonDriver, ownsApp, absoluteId, desiredApp } from './marathon-driver.js';
export type { MarathonDriverOptions } from './marathon-driver.js';
export { canonicalApp, compareApps, isMarathonDefault, updateBody, RESPONSE_ONLY_FIELDS } from './normalize.js';
