/**
 * Brand checks that stay correct when two copies of a package are loaded
 * (an `instanceof` check would fail across copies).
 */
export function brand(target: object, name: string): void {
  Object.defineProperty(target, brandSymbol(name), { value: true, enumerable: false });
}

export function hasBrand(x: unknown, name: string): boolean {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[brandSymbol(name)] === true;
}

/**
 * `Symbol.for('dcos-cdk.<name>')`, looked up in the global registry once per
 * name: brand checks run for every scope of every construct created, which
 * made building the key and the registry lookup 1.5 % of a large synthesis.
 */
const symbols = new Map<string, symbol>();

function brandSymbol(name: string): symbol {
  let s = symbols.get(name);
  if (s === undefined) {
    s = Symbol.for(`dcos-cdk.${name}`);
    symbols.set(name, s);
  }
  return s;
}
