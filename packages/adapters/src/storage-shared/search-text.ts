/** Splits text into lowercase search terms (letters and digits; punctuation is never syntax). */
export function searchTerms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0);
}

/** Collects every string inside a JSON value (or at the given top-level paths) for text search. */
export function textOfValue(value: unknown, fields?: string[]): string {
  const parts: string[] = [];
  const walk = (node: unknown) => {
    if (typeof node === 'string') parts.push(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  if (fields && value && typeof value === 'object') {
    for (const field of fields) {
      if (field === '$') walk(value);
      else
        walk(
          field.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value),
        );
    }
  } else walk(value);
  return parts.join('\n');
}

/** Whether a stored value matches a LangGraph store filter (`$eq`, `$ne`, `$gt`, `$gte`, `$lt`, `$lte`, `$in`, `$nin` or a plain value). */
export function matchesFilter(value: Record<string, unknown>, filter: Record<string, unknown> | undefined): boolean {
  if (!filter) return true;
  return Object.entries(filter).every(([key, expected]) => {
    const actual = value[key];
    if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
      const operators = Object.entries(expected as Record<string, unknown>);
      if (operators.length > 0 && operators.every(([op]) => op.startsWith('$'))) {
        return operators.every(([op, operand]) => {
          switch (op) {
            case '$eq':
              return sameJson(actual, operand);
            case '$ne':
              return !sameJson(actual, operand);
            case '$gt':
              return Number(actual) > Number(operand);
            case '$gte':
              return Number(actual) >= Number(operand);
            case '$lt':
              return Number(actual) < Number(operand);
            case '$lte':
              return Number(actual) <= Number(operand);
            case '$in':
              return Array.isArray(operand) && operand.some((item) => sameJson(actual, item));
            case '$nin':
              return !Array.isArray(operand) || !operand.some((item) => sameJson(actual, item));
            default:
              return false;
          }
        });
      }
    }
    return sameJson(actual, expected);
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
