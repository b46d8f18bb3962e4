#!/usr/bin/env node
// The `sweep` command. The TypeScript sources run through tsx, so a fresh clone needs no build step
// and the code that runs is always the code in the tree.
'use strict';
require('tsx/cjs');
require('../cli/main.ts').main(process.argv);
