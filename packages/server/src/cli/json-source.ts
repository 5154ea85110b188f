import {
  type Node,
  findNodeAtLocation,
  parseTree,
  printParseErrorCode,
  type ParseError,
} from 'jsonc-parser';

/** A place in a text file, 1-based, as editors and compilers print it. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A JSON file parsed with its positions, so that a JSON pointer can be shown as file:line:col. */
export interface JsonSource {
  value: unknown;
  /** Where the value at a JSON pointer starts (the nearest existing parent when it is absent). */
  positionOf(pointer: string): SourcePosition;
}

/** A JSON syntax error, with where it is. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly position: SourcePosition,
    readonly reason: string,
  ) {
    super(`${file}:${position.line}:${position.column}: invalid JSON: ${reason}`);
    this.name = 'JsonSyntaxError';
  }
}

function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Parses strict JSON (no comments, no trailing commas), keeping positions. Throws
 * JsonSyntaxError naming file, line and column of the first error.
 */
export function parseJsonSource(text: string, file: string): JsonSource {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length || !root) {
    const first = errors[0];
    throw new JsonSyntaxError(
      file,
      positionAt(text, first?.offset ?? 0),
      first ? printParseErrorCode(first.error) : 'empty file',
    );
  }
  return {
    value: JSON.parse(text),
    positionOf(pointer) {
      const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescape);
      // Walk down as far as the document goes: a missing property is reported at its parent.
      let node: Node | undefined = root;
      for (let n = segments.length; n >= 0; n--) {
        const path = segments.slice(0, n).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
        node = findNodeAtLocation(root, path);
        if (node) break;
      }
      const target = node?.parent?.type === 'property' ? node.parent : node;
      return positionAt(text, target?.offset ?? 0);
    },
  };
}
