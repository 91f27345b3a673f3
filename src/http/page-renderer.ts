import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';

/** Found next to the sources (tsx) or next to `dist/` (the compiled build). */
const VIEW_DIRECTORIES = ['../../interactions/views', '../../../interactions/views'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

export interface PageContext {
  /** Shown in the title bar and the heading. */
  title: string;
  [key: string]: unknown;
}

/** Renders the hosted pages. Eta escapes every `<%= %>` value; raw output (`<%~ %>`) is used only for markup we build. */
export class PageRenderer {
  readonly #eta: Eta;

  constructor(readonly productName = 'Securepoint Unified Security') {
    const views = VIEW_DIRECTORIES.find((directory) => fs.existsSync(directory));
    if (!views) throw new Error(`View templates not found in ${VIEW_DIRECTORIES.join(' or ')}`);
    this.#eta = new Eta({ views, autoEscape: true, cache: true, defaultExtension: '.eta' });
  }

  render(view: string, context: PageContext): string {
    return this.#eta.render(view, { productName: this.productName, ...context });
  }
}
