export * from './emulator/index.js';
export { marathonValidator } from './emulator/marathon-validator.js';
