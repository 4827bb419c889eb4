import { App } from '@dcos-cdk/core';
import { buildStack } from '../lib/stack.js';

const app = new App();
buildStack(app);
app.synth();
