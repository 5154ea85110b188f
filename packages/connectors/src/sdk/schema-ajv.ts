import Ajv, { type Options } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * An Ajv instance (with the standard formats) whose generated code is not run through Ajv's
 * name optimiser. That optimiser counts the generated names in objects keyed by those names
 * (`err188`, `data34`, …): compiling many schemas that way fills V8's 1,536 transitions of the
 * empty object's hidden class, and until the next full GC every object made afterwards (object
 * literals, `JSON.parse` of request bodies) gets a hidden class of its own, so property reads
 * on them go megamorphic. Unoptimised code validates the same (bench/README.md). The engine
 * compiles its flow schema the same way.
 */
export function schemaAjv(options: Options = {}): Ajv {
  return addFormats(
    new Ajv({ allErrors: true, strict: false, ...options, code: { optimize: false } }),
  );
}
