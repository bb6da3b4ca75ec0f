/**
 * The arithmetic `@dice-roller/rpg-dice-roller` evaluates (`+ - * / % ^`, parentheses and the math
 * functions its notation allows), as a lightweight mathjs instance.
 *
 * The dice roller imports `evaluate` from the `mathjs` entry point, which builds every one of
 * mathjs's several hundred functions at import time: about 35 MB of heap and 60 MB of resident
 * memory in every process that can roll dice. The build (`tsup.config.ts`) and the test config
 * (`vitest.config.ts`) point the dice roller's `mathjs` import here instead, so only what dice
 * notation can reach gets created, the way mathjs documents custom instances.
 */
import {
  absDependencies,
  addDependencies,
  ceilDependencies,
  cosDependencies,
  create,
  divideDependencies,
  evaluateDependencies,
  expDependencies,
  type FactoryFunctionMap,
  floorDependencies,
  logDependencies,
  maxDependencies,
  minDependencies,
  modDependencies,
  multiplyDependencies,
  powDependencies,
  roundDependencies,
  signDependencies,
  sinDependencies,
  sqrtDependencies,
  subtractDependencies,
  tanDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
} from 'mathjs';

const dependencies = {
  evaluateDependencies,
  addDependencies,
  subtractDependencies,
  multiplyDependencies,
  divideDependencies,
  modDependencies,
  powDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  // the functions rpg-dice-roller's notation accepts
  absDependencies,
  ceilDependencies,
  cosDependencies,
  expDependencies,
  floorDependencies,
  logDependencies,
  maxDependencies,
  minDependencies,
  roundDependencies,
  signDependencies,
  sinDependencies,
  sqrtDependencies,
  tanDependencies,
};

let math: ReturnType<typeof create> | undefined;

/** mathjs's `evaluate`, on the lightweight instance (created at the first roll). */
export function evaluate(expression: string): unknown {
  // mathjs types every `*Dependencies` export as possibly undefined; each one is defined
  math ??= create(dependencies as FactoryFunctionMap);
  return math.evaluate(expression);
}
