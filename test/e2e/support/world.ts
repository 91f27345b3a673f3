import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { startStack, type Stack } from './stack.js';

/** The stack and a Chromium for the tests of one `describe`: started before them, stopped after them. */
export function endToEndWorld(): { readonly stack: Stack; readonly chromium: Browser } {
  const world = {} as { stack: Stack; chromium: Browser };
  before(async () => {
    world.stack = await startStack();
    world.chromium = await launchChromium();
  });
  after(async () => {
    await world.chromium?.close();
    await world.stack?.close();
  });
  return world;
}
