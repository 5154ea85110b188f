import { CallbackRefusal } from './callback-refusal';

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

const decode = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|apos|#\d{1,7}|#x[0-9a-f]{1,6});/gi, (whole, name: string) => {
    if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
    const code =
      name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });

/**
 * The child elements of a flat `<xml>` document, as WeCom sends them (`<Tag><![CDATA[…]]></Tag>`
 * or `<Tag>text</Tag>`): element name → text. No DTD, entity declaration or processing beyond
 * the five predefined entities is accepted, so a hostile body cannot expand or reach out.
 */
export function flatXml(xml: string): Record<string, string> {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    throw new CallbackRefusal('bad_message', 'the XML declares a DTD or an entity: not accepted');
  const body = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(xml);
  if (!body) throw new CallbackRefusal('bad_message', 'the body is not an <xml> document');
  const fields: Record<string, string> = Object.create(null);
  const element = /<([A-Za-z][A-Za-z0-9_]{0,63})>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;
  for (const m of body[1].matchAll(element))
    if (!(m[1] in fields)) fields[m[1]] = m[2] !== undefined ? m[2] : decode(m[3] ?? '');
  return fields;
}
