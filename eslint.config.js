// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * The four runtime-neutral layers, and the websocket package's main entry (not its Node-only
 * `server/` subpath): they must run on Node, Bun, Deno and browsers alike.
 */
const neutralSources = [
  "packages/buffer/src/**/*.ts",
  "packages/reader/src/**/*.ts",
  "packages/writer/src/**/*.ts",
  "packages/protocol/src/**/*.ts",
  "packages/websocket/src/*.ts",
];

export default tseslint.config(
  // packages/quic/test/deno: scripts run by Deno itself (Deno globals, .ts imports), outside any tsconfig.
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "**/coverage/**",
      "**/.turbo/**",
      "docs/api/**",
      "packages/quic/test/deno/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "*.ts", "scripts/*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // An async library's likeliest bug is a promise nobody awaits.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/require-await": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/only-throw-error": "off",
      "@typescript-eslint/prefer-promise-reject-errors": "off",
      "no-restricted-syntax": [
        "error",
        { selector: "ExportAllDeclaration", message: "Re-export names explicitly, never `export *`." },
      ],
      // Biome formats code at 120 columns (`pnpm format`); this catches what it leaves long, such as
      // comments. A string stays whole, so that an error message or a test name can be searched for.
      "max-len": [
        "error",
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    files: neutralSources,
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*"], message: "Core layers run on every runtime: no node: imports." }] },
      ],
      "no-restricted-globals": [
        "error",
        { name: "Buffer", message: "Core layers use Uint8Array, never Buffer." },
        { name: "process", message: "Core layers must not touch process." },
      ],
    },
  },
  {
    // The QUIC package's Deno stack and shared code stay runtime-neutral; only the Node stack's
    // adapter files may use node: modules, and the key check both stacks run (node:crypto, which
    // Deno provides too).
    files: ["packages/quic/src/**/*.ts"],
    ignores: [
      "packages/quic/src/_matrixai-stack.ts",
      "packages/quic/src/_defer-early-streams.ts",
      "packages/quic/src/_check-key-pair.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["node:*"], message: "Only the Node stack's adapter may import node: modules." }] },
      ],
      "no-restricted-globals": ["error", { name: "Buffer", message: "Use Uint8Array, never Buffer." }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    // Keep disableTypeChecked's parserOptions (no project service) and add Node's globals.
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { ...globals.node } },
  },
  {
    // Code that runs in the browser page or its Worker (`pnpm test:browser`), not on Node.
    files: ["runtimes/browser/**/*.js"],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
  },
  {
    files: ["**/test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/unbound-method": "off",
    },
  },
);
