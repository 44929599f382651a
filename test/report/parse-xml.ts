/**
 * A strict little XML parser for tests: enough of XML 1.0 to read back what
 * the JUnit reporter writes (declaration, elements, attributes, text, the five
 * predefined entities and character references) and to throw on anything
 * malformed: unbalanced or crossed tags, a bare `<` or `&`, an unknown entity,
 * a duplicate attribute, a character XML 1.0 does not allow, text after the
 * root. Comments, CDATA, DOCTYPE and processing instructions other than the
 * declaration are rejected: the reporter never writes them.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text directly inside this element, entities decoded. */
  readonly text: string;
}

const NAME = /^[A-Za-z_][\w.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(xml: string): XmlElement {
  const invalid = xml.match(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u);
  if (invalid) throw new Error(`character U+${invalid[0].codePointAt(0)?.toString(16)} is not allowed in XML 1.0`);

  let position = 0;
  const rest = () => xml.slice(position);
  const fail = (why: string): never => {
    throw new Error(`${why} at offset ${position}: ${JSON.stringify(xml.slice(position, position + 30))}`);
  };
  const skipSpace = () => {
    while (position < xml.length && /\s/.test(xml[position] ?? '')) position++;
  };

  const declaration = rest().match(/^<\?xml version="1\.0" encoding="UTF-8"\?>/);
  if (declaration) position += declaration[0].length;

  function decode(raw: string): string {
    if (raw.includes('<')) fail('bare < in text or attribute');
    return raw.replace(/&([^;]*);|&/g, (match, entity: string | undefined) => {
      if (entity === undefined) return fail('bare &');
      if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
      if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
      const value = ENTITIES[entity];
      return value ?? fail(`unknown entity ${match}`);
    });
  }

  function parseElement(): XmlElement {
    if (xml[position] !== '<') fail('expected <');
    position++;
    const name = rest().match(NAME)?.[0] ?? fail('expected an element name');
    position += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = position;
      skipSpace();
      if (rest().startsWith('/>')) {
        position += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (xml[position] === '>') {
        position++;
        break;
      }
      if (position === before) fail('expected whitespace before an attribute');
      const attribute =
        rest().match(/^([A-Za-z_][\w.:-]*)="([^"]*)"/) ?? rest().match(/^([A-Za-z_][\w.:-]*)='([^']*)'/);
      if (!attribute) return fail('malformed attribute');
      const [whole, attributeName = '', rawValue = ''] = attribute;
      if (Object.hasOwn(attributes, attributeName)) fail(`duplicate attribute ${attributeName}`);
      // Attribute-value normalisation: literal whitespace becomes a space; references keep theirs.
      attributes[attributeName] = decode(rawValue.replace(/[\t\n\r]/g, ' '));
      position += whole.length;
    }

    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const next = xml.indexOf('<', position);
      if (next === -1) fail(`unclosed <${name}>`);
      text += decode(xml.slice(position, next).replace(/\r\n?/g, '\n'));
      position = next;
      if (rest().startsWith('</')) {
        position += 2;
        const closing = rest().match(NAME)?.[0];
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        position += name.length;
        skipSpace();
        if (xml[position] !== '>') fail('expected >');
        position++;
        return { name, attributes, children, text };
      }
      if (rest().startsWith('<!') || rest().startsWith('<?')) fail('unsupported markup');
      children.push(parseElement());
    }
  }

  skipSpace();
  const root = parseElement();
  skipSpace();
  if (position !== xml.length) fail('content after the root element');
  return root;
}

/** Children of `element` named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}
