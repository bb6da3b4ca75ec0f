declare module 'tracery-grammar' {
  interface Grammar {
    flatten(rule: string): string;
    addModifiers(modifiers: Record<string, (text: string) => string>): void;
  }
  const tracery: {
    createGrammar(rules: Record<string, string | string[]>): Grammar;
    setRng(rng: () => number): void;
    baseEngModifiers: Record<string, (text: string) => string>;
  };
  export default tracery;
}
