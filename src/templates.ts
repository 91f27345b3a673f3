import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

/** Found next to the sources (tsx) or next to `dist/` (the compiled build and the Docker image). */
const VIEW_DIRECTORIES = ['../interactions/views', '../../interactions/views'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

/**
 * The one template engine for pages and mails. Eta escapes every `<%= %>` value; raw output (`<%~ %>`) is
 * used only for markup we build ourselves.
 */
export function createTemplateEngine(): Eta {
  const views = VIEW_DIRECTORIES.find((directory) => fs.existsSync(directory));
  if (!views) throw new Error(`View templates not found in ${VIEW_DIRECTORIES.join(' or ')}`);
  // No trimming: plain-text mails keep their blank lines exactly as written.
  return new Eta({ views, autoEscape: true, autoTrim: false, cache: true, defaultExtension: '.eta' });
}
