export { MarathonApp } from './app.js';
export type { MarathonAppProps } from './props.js';
export { MarathonPort } from './port.js';
export { renderApp } from './render.js';
export type { AppModel } from './render.js';
export * from './validation/index.js';
