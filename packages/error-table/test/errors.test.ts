// Every error class of every package in one table: name, code, message, fields, cause, the
// `instanceof` chain and the brand that makes `instanceof` hold across two copies of a package.
// This file is the one exception to one-test-file-per-source-file (README.md, "Tests"): the classes
// are alike, so one table checks them all the same way and a new class is one more row in
// _error-cases.ts. It lives in this private package because only a package of its own may depend on
// every published package; a new error class or entry point without a row fails the first tests.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import * as buffer from "@asyncstreams/buffer";
import * as net from "@asyncstreams/net";
import * as protocol from "@asyncstreams/protocol";
import * as protocolTesting from "@asyncstreams/protocol/testing";
import * as quic from "@asyncstreams/quic";
import * as reader from "@asyncstreams/reader";
import * as tls from "@asyncstreams/tls";
import * as websocket from "@asyncstreams/websocket";
import * as websocketServer from "@asyncstreams/websocket/server";
import * as writer from "@asyncstreams/writer";
import { cases } from "./_error-cases.js";
import type { Copy, ErrorCase, ErrorClass } from "./_error-cases.js";

const copyA: Copy = { buffer, reader, writer, protocol, protocolTesting, net, tls, websocket, websocketServer, quic };
// A second evaluation of every package's code, with classes of their own: what a second installed
// copy gives (packages/net/test/two-copies.test.ts installs real ones from packed tarballs).
vi.resetModules();
const copyB: Copy = {
  buffer: await import("@asyncstreams/buffer"),
  reader: await import("@asyncstreams/reader"),
  writer: await import("@asyncstreams/writer"),
  protocol: await import("@asyncstreams/protocol"),
  protocolTesting: await import("@asyncstreams/protocol/testing"),
  net: await import("@asyncstreams/net"),
  tls: await import("@asyncstreams/tls"),
  websocket: await import("@asyncstreams/websocket"),
  websocketServer: await import("@asyncstreams/websocket/server"),
  quic: await import("@asyncstreams/quic"),
};

/** The import specifier of each entry point in a {@linkcode Copy}. */
const specifiers: Record<keyof Copy, string> = {
  buffer: "@asyncstreams/buffer",
  reader: "@asyncstreams/reader",
  writer: "@asyncstreams/writer",
  protocol: "@asyncstreams/protocol",
  protocolTesting: "@asyncstreams/protocol/testing",
  net: "@asyncstreams/net",
  tls: "@asyncstreams/tls",
  websocket: "@asyncstreams/websocket",
  websocketServer: "@asyncstreams/websocket/server",
  quic: "@asyncstreams/quic",
};

const root = new URL("../../../", import.meta.url);

/** Every class in the table once, by name. */
const classNames = [...new Set(cases.map((row) => row.name))];
const title = (row: ErrorCase): string => (row.variant === undefined ? row.name : `${row.name} (${row.variant})`);

/** The class called `name` in `copy`. */
function classOf(copy: Copy, name: string): ErrorClass {
  const row = cases.find((candidate) => candidate.name === name);
  if (row === undefined) throw new Error(`No row for ${name}`);
  return row.of(copy);
}

/** The table's classes that `row`'s errors are instances of: itself, its ancestors, StreamError. */
function chainOf(row: ErrorCase): string[] {
  return [...new Set([row.name, ...row.ancestors, "StreamError"])];
}

const docs = readFileSync(new URL("docs/errors.md", root), "utf8");
/** The cells of docs/errors.md's table of codes, without its header and separator rows. */
const docsRows = docs
  .split("\n")
  .filter((line) => line.startsWith("| `"))
  .map((line) => line.split(" | "));

describe("error classes", () => {
  it("the copies hold every entry point of every published package", () => {
    const entryPoints = readdirSync(new URL("packages/", root)).flatMap((folder) => {
      const manifest = JSON.parse(readFileSync(new URL(`packages/${folder}/package.json`, root), "utf8")) as {
        name: string;
        private?: boolean;
        exports: Record<string, unknown>;
      };
      if (manifest.private === true) return [];
      return Object.keys(manifest.exports).map((subpath) => `${manifest.name}${subpath.slice(1)}`);
    });
    expect(Object.values(specifiers).sort()).toEqual(entryPoints.sort());
    expect(Object.keys(copyA).sort()).toEqual(Object.keys(specifiers).sort());
  });

  it("the table has a row for every error class the packages export, and a re-export is the same class", () => {
    const exported = new Map<string, unknown>();
    for (const [entry, module] of Object.entries(copyA) as [keyof Copy, object][]) {
      for (const [name, value] of Object.entries(module)) {
        if (typeof value !== "function") continue;
        const prototype = (value as { prototype: unknown }).prototype;
        if (!name.endsWith("Error") && value !== buffer.StreamError && !(prototype instanceof buffer.StreamError)) {
          continue;
        }
        if (exported.has(name)) expect(value, `${name} from ${specifiers[entry]}`).toBe(exported.get(name));
        exported.set(name, value);
      }
    }
    expect([...exported.keys()].sort()).toEqual([...classNames].sort());
    for (const name of classNames) expect(classOf(copyA, name), name).toBe(exported.get(name));
  });

  it("the second copy has classes of its own, so the cross-copy checks below mean something", () => {
    for (const name of classNames) expect(classOf(copyB, name)).not.toBe(classOf(copyA, name));
  });

  it.each(cases.map((row) => [title(row), row] as const))(
    "%s has its code, its name and its message",
    (_title, row) => {
      const error = row.make(copyA) as Error & { code: unknown };
      expect(error.code).toBe(row.code);
      expect(error.name).toBe(row.name);
      expect(error.message).toBe(row.message);
      expect(String(error)).toBe(`${row.name}: ${row.message}`);
      expect(error.stack).toContain(`${row.name}: ${row.message}`);
    },
  );

  it.each(cases.filter((row) => row.fields !== undefined).map((row) => [title(row), row] as const))(
    "%s keeps its fields",
    (_title, row) => {
      const error = row.make(copyA) as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(row.fields!)) {
        expect(Object.hasOwn(error, field), `own field ${field}`).toBe(true);
        expect(error[field], field).toEqual(value);
      }
    },
  );

  it.each(cases.map((row) => [title(row), row] as const))("%s has no cause unless one is given", (_title, row) => {
    expect(Object.hasOwn(row.make(copyA), "cause")).toBe(false);
  });

  it.each(cases.filter((row) => row.makeWithCause !== undefined).map((row) => [title(row), row] as const))(
    "%s keeps the cause it is given, an Error or not",
    (_title, row) => {
      const cause = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
      expect(row.makeWithCause!(copyA, cause).cause).toBe(cause);
      const notAnError = { errno: -104, syscall: "read" };
      expect(row.makeWithCause!(copyA, notAnError).cause).toBe(notAnError);
    },
  );

  it.each(cases.map((row) => [title(row), row] as const))(
    "%s is an instance of its class, its ancestors, StreamError and Error, and of no other class",
    (_title, row) => {
      const error = row.make(copyA);
      const chain = chainOf(row);
      expect(error).toBeInstanceOf(Error);
      for (const name of classNames)
        expect(error instanceof classOf(copyA, name), `instanceof ${name}`).toBe(chain.includes(name));
    },
  );

  it.each(cases.map((row) => [title(row), row] as const))(
    "%s made by either copy is an instance of the other copy's classes in its chain, and of no other",
    (_title, row) => {
      const chain = chainOf(row);
      for (const [maker, checker] of [
        [copyB, copyA],
        [copyA, copyB],
      ] as const) {
        const error = row.make(maker);
        for (const name of classNames)
          expect(error instanceof classOf(checker, name), `instanceof ${name} of the other copy`).toBe(
            chain.includes(name),
          );
        expect((error as Error & { code: unknown }).code).toBe(row.code);
      }
    },
  );

  it.each(classNames.map((name) => [name, name] as const))(
    '%s is branded with Symbol.for("asyncstreams.error.%s"), a published contract like its code',
    (name) => {
      const row = cases.find((candidate) => candidate.name === name)!;
      const error = row.make(copyA) as unknown as Record<symbol, unknown>;
      expect(error[Symbol.for(`asyncstreams.error.${name}`)]).toBe(true);
      expect(Object.hasOwn(row.of(copyA).prototype as object, Symbol.for(`asyncstreams.error.${name}`))).toBe(true);
    },
  );

  it("an Error that copies a code, a name or a message is not an instance of the class", () => {
    const lookalike = Object.assign(new Error("3 bytes read on a total of 10 expected bytes"), {
      code: "ERR_INCOMPLETE_READ",
      name: "IncompleteReadError",
    });
    expect(lookalike instanceof reader.IncompleteReadError).toBe(false);
    expect(lookalike instanceof buffer.StreamError).toBe(false);
  });

  it("instanceof any error class is false for primitives, null and undefined", () => {
    for (const value of [
      null,
      undefined,
      0,
      "ERR_INCOMPLETE_READ",
      Symbol.for("asyncstreams.error.StreamError"),
      true,
    ] as unknown[]) {
      expect(value instanceof buffer.StreamError).toBe(false);
      expect(value instanceof reader.IncompleteReadError).toBe(false);
    }
  });

  it("every code in the table is listed in docs/errors.md, with its class", () => {
    for (const row of cases.filter((candidate) => candidate.base !== true)) {
      // A row whose first cell names the code and whose second names the class.
      const line = docsRows.find(
        (cells) => (cells[0] ?? "").includes(`\`${row.code}\``) && cells[1] === `\`${row.name}\``,
      );
      expect(line, `a row for ${row.code} (${row.name}) in docs/errors.md`).toBeDefined();
    }
  });

  it("docs/errors.md's table lists exactly the table's classes, and its prose the bases", () => {
    const documented = new Set(docsRows.map((cells) => cells[1]));
    const withCodes = new Set(cases.filter((row) => row.base !== true).map((row) => `\`${row.name}\``));
    expect([...documented].sort()).toEqual([...withCodes].sort());
    for (const name of classNames) expect(docs, name).toContain(`\`${name}\``);
  });
});

describe("CPython's pickling tests, as rebuilding an error from its fields", () => {
  it("test_IncompleteReadError_pickleable: keeps partial and expected, and rebuilding it from them gives the same error", () => {
    const error = new reader.IncompleteReadError(new TextEncoder().encode("abc"), 10);
    // Python pickles it through __reduce__: (type(self), (self.partial, self.expected)).
    const copy = new reader.IncompleteReadError(error.partial, error.expected);
    expect(copy.message).toBe("3 bytes read on a total of 10 expected bytes");
    expect(copy.message).toBe(error.message);
    expect(copy.partial).toEqual(error.partial);
    expect(copy.expected).toBe(error.expected);
    expect(copy.code).toBe(error.code);
  });

  it("test_LimitOverrunError_pickleable: keeps its message and consumed, and rebuilding it from them gives the same error", () => {
    const error = new reader.LimitOverrunError("message", 10);
    // Python pickles it through __reduce__: (type(self), (self.args[0], self.consumed)).
    const copy = new reader.LimitOverrunError(error.message, error.consumed);
    expect(copy.message).toBe("message");
    expect(copy.consumed).toBe(10);
    expect(copy.code).toBe(error.code);
  });
});

describe("StreamError subclasses outside the project", () => {
  class ExampleError extends buffer.StreamError {
    constructor() {
      super("ERR_EXAMPLE", "Cannot do the example: it failed");
    }
  }
  class DeeperExampleError extends ExampleError {}
  class BrandedExampleError extends buffer.StreamError {
    static {
      this.brand("BrandedExampleError");
    }
    declare readonly code: "ERR_BRANDED_EXAMPLE";

    constructor() {
      super("ERR_BRANDED_EXAMPLE", "Cannot do the example: it failed");
    }
  }

  it("a subclass is named after itself without setting name, two levels down too", () => {
    expect(new ExampleError().name).toBe("ExampleError");
    expect(String(new ExampleError())).toBe("ExampleError: Cannot do the example: it failed");
    expect(new DeeperExampleError().name).toBe("DeeperExampleError");
  });

  it("a subclass without a brand of its own is checked by its prototype chain, and is still a StreamError of any copy", () => {
    const deeper = new DeeperExampleError();
    expect(deeper).toBeInstanceOf(DeeperExampleError);
    expect(deeper).toBeInstanceOf(ExampleError);
    expect(new ExampleError()).not.toBeInstanceOf(DeeperExampleError);
    expect(new buffer.StreamError("ERR_EXAMPLE", "Cannot do it: example")).not.toBeInstanceOf(ExampleError);
    expect(deeper).toBeInstanceOf(buffer.StreamError);
    expect(deeper).toBeInstanceOf(copyB.buffer.StreamError);
  });

  it("a subclass branded with one line is recognised by brand: an object carrying it passes, its parent does not", () => {
    expect(new BrandedExampleError()).toBeInstanceOf(BrandedExampleError);
    expect(new BrandedExampleError()).toBeInstanceOf(copyB.buffer.StreamError);
    expect(new ExampleError()).not.toBeInstanceOf(BrandedExampleError);
    // What another copy of that subclass's package would make.
    const fromAnotherCopy = Object.create(copyB.buffer.StreamError.prototype, {
      [Symbol.for("asyncstreams.error.BrandedExampleError")]: { value: true },
    }) as unknown;
    expect(fromAnotherCopy instanceof BrandedExampleError).toBe(true);
  });

  it("brand() refuses to brand a class twice", () => {
    expect(() => {
      class TwiceError extends buffer.StreamError {
        static {
          this.brand("TwiceError");
          this.brand("TwiceError");
        }
      }
      return TwiceError;
    }).toThrow(new TypeError("Cannot brand TwiceError: the class is already branded"));
  });
});

// net's own checks across copies are in packages/net/test/socket-error-from.test.ts.
describe("the project's own checks across copies", () => {
  it("a reader whose transport throws another copy's NotImplementedError from pauseReading() buffers instead of failing", async () => {
    const reader = new copyA.reader.StreamReader({ limit: 4 });
    let attempts = 0;
    reader.setTransport({
      pauseReading(): void {
        attempts++;
        throw new copyB.buffer.NotImplementedError("pauseReading");
      },
      resumeReading(): void {},
    });
    reader.feedData(new Uint8Array(9));
    reader.feedData(new Uint8Array(9));
    expect(attempts).toBe(1);
    expect((await reader.read(100)).length).toBe(18);
  });

  it("a StreamReader of another copy works with this copy's StreamReaderProtocol: checked by shape, not instanceof", async () => {
    const streamReader = new copyB.reader.StreamReader();
    const protocolOfA = new copyA.protocol.StreamReaderProtocol(streamReader);
    protocolOfA.dataReceived(new TextEncoder().encode("line\n"));
    protocolOfA.eofReceived();
    expect(new TextDecoder().decode(await streamReader.readLine())).toBe("line\n");
  });
});
