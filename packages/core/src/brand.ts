/**
 * Brand checks that stay correct when two copies of a package are loaded
 * (an `instanceof` check would fail across copies).
 */
export function brand(target: object, name: string): void {
  Object.defineProperty(target, Symbol.for(`dcos-cdk.${name}`), { value: true, enumerable: false });
}

export function hasBrand(x: unknown, name: string): boolean {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[Symbol.for(`dcos-cdk.${name}`)] === true;
}
