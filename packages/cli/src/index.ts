export { main } from './main.js';
export { EXIT } from './errors.js';
