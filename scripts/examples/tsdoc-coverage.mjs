// What scripts/check-examples.mjs asks of every package's public API, read from the TypeScript AST:
// the classes, functions, constants and public methods that need an `@example`, and the awaitables
// whose TSDoc lacks a "Cancel safety:" paragraph.
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import ts from "typescript";

/** Whether a node's own TSDoc (any of its comments) has an `@example` tag. */
function hasExample(node) {
  return ts.getJSDocTags(node).some((tag) => tag.tagName.text === "example");
}

/**
 * The public classes, functions and constants of one entry point: its non-type re-exports, followed
 * to their declarations. Returns [{ name, file, line, documented }].
 */
export function publicClassesAndFunctions(entry) {
  const found = [];
  const seen = new Set();
  const visit = (file, wanted) => {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (
        ts.isExportDeclaration(statement) &&
        !statement.isTypeOnly &&
        statement.moduleSpecifier &&
        statement.exportClause &&
        ts.isNamedExports(statement.exportClause)
      ) {
        const target = resolve(dirname(file), statement.moduleSpecifier.text.replace(/\.js$/, ".ts"));
        const names = statement.exportClause.elements
          .filter((element) => !element.isTypeOnly)
          .map((element) => (element.propertyName ?? element.name).text);
        if (names.length > 0 && existsSync(target)) visit(target, new Set(names));
        continue;
      }
      const exported = ts.getCombinedModifierFlags(statement) & ts.ModifierFlags.Export;
      if (!exported && wanted === undefined) continue;
      // Exported constants (`DEFAULT_LIMIT`, `portableByteSearch`) are API too: held to the same rule.
      const declarations = ts.isVariableStatement(statement)
        ? statement.declarationList.declarations.filter((declaration) => ts.isIdentifier(declaration.name))
        : (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) && statement.name
          ? [statement]
          : [];
      for (const declaration of declarations) {
        const name = declaration.name.text;
        if (wanted !== undefined && !wanted.has(name)) continue;
        const key = `${file}#${name}`;
        const line = source.getLineAndCharacterOfPosition(declaration.getStart()).line + 1;
        // Overloads: the name is documented when any of its declarations has an example.
        const previous = found.find((item) => item.key === key);
        if (previous) previous.documented ||= hasExample(declaration);
        else if (!seen.has(key)) {
          found.push({ key, name, file, line, documented: hasExample(declaration) });
          if (ts.isClassDeclaration(declaration)) found.push(...publicMethods(declaration, source, file));
        }
        seen.add(key);
      }
    }
  };
  visit(entry, undefined);
  return found;
}

/**
 * The public methods of an exported class that need their own `@example`: every method but
 * `#private`/`private`/`protected` ones, symbol-keyed ones (`[Symbol.asyncIterator]`), `toString`,
 * those whose TSDoc is `@inheritDoc` (an interface documents them, with its example), and `@internal`
 * ones (called by the package's own modules, not by users).
 */
function publicMethods(declaration, source, file) {
  const methods = [];
  for (const member of declaration.members) {
    if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
    if (ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
    const name = member.name.text;
    // `@internal` members are public only for the package's own modules (QuicServer.accept): not API.
    const skipped = ts
      .getJSDocTags(member)
      .some((tag) => tag.tagName.text === "inheritDoc" || tag.tagName.text === "internal");
    if (name === "toString" || skipped) continue;
    const qualified = `${declaration.name.text}.${name}`;
    const key = `${file}#${qualified}`;
    if (methods.some((item) => item.key === key)) continue; // overloads
    const line = source.getLineAndCharacterOfPosition(member.getStart()).line + 1;
    const documented = declaration.members.some(
      (other) =>
        ts.isMethodDeclaration(other) && ts.isIdentifier(other.name) && other.name.text === name && hasExample(other),
    );
    methods.push({ key, name: qualified, file, line, documented, method: true });
  }
  return methods;
}

/**
 * The awaitables of one source file that do not say what an abort leaves behind: exported functions,
 * and public methods of exported classes and interfaces, that return a promise (a `Promise<...>`
 * return type, or `async`), without a "Cancel safety:" paragraph in their TSDoc (tokio's
 * "# Cancel safety" sections). Methods documented by `@inheritDoc` take their interface's paragraph.
 * Each is reported as `path:line: what`, the path relative to `root`.
 */
export function awaitablesWithoutCancelSafety(file, root) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found = [];
  const check = (node, name) => {
    const isAsync = node.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AsyncKeyword) ?? false;
    if (!isAsync && !(node.type?.getText(source).startsWith("Promise<") ?? false)) return;
    const docs = ts
      .getJSDocCommentsAndTags(node)
      .map((doc) => doc.getText(source))
      .join("\n");
    if (/@inheritDoc/.test(docs) || /Cancel safety:/.test(docs)) return;
    found.push(
      `${relative(root, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${name} returns a promise but its TSDoc has no "Cancel safety:" paragraph`,
    );
  };
  for (const statement of source.statements) {
    if (!(ts.getCombinedModifierFlags(statement) & ts.ModifierFlags.Export)) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name) check(statement, statement.name.text);
    if ((ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) && statement.name) {
      for (const member of statement.members) {
        if (!(ts.isMethodDeclaration(member) || ts.isMethodSignature(member)) || ts.isPrivateIdentifier(member.name))
          continue;
        if (ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) continue;
        check(member, `${statement.name.text}.${member.name.getText(source)}`);
      }
    }
  }
  return found;
}
