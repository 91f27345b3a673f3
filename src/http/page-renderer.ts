import type { Eta } from 'eta';
import { createTemplateEngine } from '../templates.js';

export interface PageContext {
  /** Shown in the title bar and the heading. */
  title: string;
  [key: string]: unknown;
}

/** Renders the hosted pages in our layout. */
export class PageRenderer {
  readonly #eta: Eta;

  constructor(readonly productName = 'Securepoint Unified Security') {
    this.#eta = createTemplateEngine();
  }

  render(view: string, context: PageContext): string {
    return this.#eta.render(view, { productName: this.productName, ...context });
  }
}
