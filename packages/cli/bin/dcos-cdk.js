#!/usr/bin/env node
// Committed entry point, so npm links the `dcos-cdk` command at install time, before the build
// has written dist/.
await import('../dist/bin.js');
