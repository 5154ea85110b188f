// Loaded on demand (the Auto-layout button, or a flow opened without positions): ELK runs in
// its own worker, so neither its 1.6 MB nor the layout itself weighs on the page.
import ELK from 'elkjs/lib/elk-api';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';
import { type ElkRunner, LABEL_BOX, NODE_BOX, type Size, type Sizes } from '../model/elk-layout';

let elk: ElkRunner | undefined;

/** The one ELK of the page, in a web worker. */
export function elkRunner(): ElkRunner {
  return (elk ??= new ELK({ workerUrl }));
}

const [NODE, LABEL] = [NODE_BOX, LABEL_BOX];
const NODE_FONT = `600 ${NODE.fontPx}px`;
const LABEL_FONT = `${LABEL.fontPx}px`;

/**
 * Sizes as the canvas shows them: a node's measured box when it has been drawn, else its label
 * measured in the page's font; edge labels measured the same way.
 */
export function browserSizes(measured: Map<string, Size | undefined>): Sizes {
  const context = document.createElement('canvas').getContext('2d')!;
  const family = getComputedStyle(document.body).fontFamily;
  const textWidth = (text: string, font: string) => {
    context.font = `${font} ${family}`;
    return Math.ceil(context.measureText(text).width);
  };
  return {
    node(id, label) {
      const box = measured.get(id);
      if (box?.width && box.height) return box;
      const width = textWidth(label, NODE_FONT) + 2 * (NODE.padX + NODE.border);
      return {
        width: Math.max(NODE.minWidth, width),
        height: NODE.line + 2 * (NODE.padY + NODE.border),
      };
    },
    label: (text) => ({
      width: textWidth(text, LABEL_FONT) + 2 * LABEL.padX + 2,
      height: LABEL.line + 2 * LABEL.padY,
    }),
  };
}
