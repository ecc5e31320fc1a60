// Module hooks for child Node processes (the reliability tests C8 and C12, check:examples): they load the
// packages' TypeScript sources, as Vitest does, so that no build is needed. Resolution uses the
// `@asyncstreams/source` export condition (passed with --conditions); `./x.js` falls back to
// `./x.ts`; `.ts` files are transpiled one by one with TypeScript's transpileModule.
import { readFile } from "node:fs/promises";
import ts from "typescript";

/** @type {import("node:module").ResolveHook} */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (specifier.startsWith(".") && specifier.endsWith(".js"))
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    throw error;
  }
}

/** @type {import("node:module").LoadHook} */
export async function load(url, context, nextLoad) {
  if (!url.endsWith(".ts")) return nextLoad(url, context);
  const source = await readFile(new URL(url), "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: url,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      sourceMap: false,
    },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
