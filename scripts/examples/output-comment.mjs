// The output comments of @example blocks: `console.log(x); // "hello\n"` says what the line prints.
//
// Grammar (JSON-ish, written the way Node's console shows values, but compared as values):
//   comment := prints [":" free text]      `// null: EOF` asserts `null`; the rest is prose
//   prints  := call ("," call)*            one entry per time the line runs (`// 2, 1` in a loop)
//   call    := value (" " value)*          one entry per argument (`// "ECONNRESET" "EPIPE"`)
//   value   := string | number | true | false | null | undefined
//            | "[" [value ("," value)*] "]"
//            | "{" [key ":" value ("," key ":" value)*] "}"     key: identifier or string
//            | TypedArrayName ["(" n ")"] "[" numbers "]"       `Uint8Array [97, 98, 99]`
//   string  := a JSON string ("...") or the same in single quotes
// A comment that starts with "e.g." is an illustration (an address, a duration) and is not asserted.
//
// Values parse to JSON-able nodes, so the runner (another process) can compare them:
//   { t: "string" | "number" | "boolean", v }, { t: "null" }, { t: "undefined" },
//   { t: "array", items }, { t: "object", entries: [[key, node]] }, { t: "typed", name, items }

const TYPED =
  /^(Uint8Array|Int8Array|Uint16Array|Int16Array|Uint32Array|Int32Array|Float32Array|Float64Array|Uint8ClampedArray)\b/;

class Parser {
  constructor(text) {
    this.text = text;
    this.at = 0;
  }

  fail(what) {
    throw new SyntaxError(`${what} at column ${this.at + 1} of the output comment \`${this.text}\``);
  }

  spaces() {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  peek() {
    return this.text[this.at];
  }

  eat(char) {
    this.spaces();
    if (this.text[this.at] !== char) this.fail(`expected "${char}"`);
    this.at++;
  }

  string() {
    const quote = this.text[this.at];
    let end = this.at + 1;
    while (end < this.text.length && this.text[end] !== quote) end += this.text[end] === "\\" ? 2 : 1;
    if (end >= this.text.length) this.fail("unterminated string");
    let body = this.text.slice(this.at + 1, end);
    if (quote === "'") body = body.replace(/\\'/g, "'").replace(/"/g, '\\"');
    this.at = end + 1;
    try {
      return { t: "string", v: JSON.parse(`"${body}"`) };
    } catch {
      return this.fail("invalid string escape");
    }
  }

  list(close, item) {
    const items = [];
    this.spaces();
    if (this.peek() === close) {
      this.at++;
      return items;
    }
    for (;;) {
      items.push(item());
      this.spaces();
      if (this.peek() === ",") {
        this.at++;
        continue;
      }
      this.eat(close);
      return items;
    }
  }

  value() {
    this.spaces();
    const rest = this.text.slice(this.at);
    const char = this.peek();
    if (char === '"' || char === "'") return this.string();
    if (char === "[") {
      this.at++;
      return { t: "array", items: this.list("]", () => this.value()) };
    }
    if (char === "{") {
      this.at++;
      const entries = this.list("}", () => {
        this.spaces();
        let key;
        if (this.peek() === '"' || this.peek() === "'") key = this.string().v;
        else {
          const match = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(this.at));
          if (!match) this.fail("expected a key");
          key = match[0];
          this.at += key.length;
        }
        this.eat(":");
        return [key, this.value()];
      });
      return { t: "object", entries };
    }
    const typed = TYPED.exec(rest);
    if (typed) {
      this.at += typed[0].length;
      const count = /^\(\d+\)/.exec(this.text.slice(this.at));
      if (count) this.at += count[0].length;
      this.eat("[");
      const items = this.list("]", () => {
        const node = this.value();
        if (node.t !== "number") this.fail("expected a number in a typed array");
        return node.v;
      });
      return { t: "typed", name: typed[1], items };
    }
    const number = /^-?(?:\d[\d_]*)(?:\.\d+)?(?:e[+-]?\d+)?/i.exec(rest);
    if (number) {
      this.at += number[0].length;
      return { t: "number", v: Number(number[0].replace(/_/g, "")) };
    }
    for (const [word, node] of [
      ["true", { t: "boolean", v: true }],
      ["false", { t: "boolean", v: false }],
      ["null", { t: "null" }],
      ["undefined", { t: "undefined" }],
    ]) {
      if (new RegExp(`^${word}\\b`).test(rest)) {
        this.at += word.length;
        return node;
      }
    }
    return this.fail("expected a value");
  }

  /** prints [":" prose] */
  comment() {
    const calls = [];
    for (;;) {
      const args = [this.value()];
      for (;;) {
        this.spaces();
        const char = this.peek();
        if (char === undefined || char === "," || char === ":") break;
        args.push(this.value());
      }
      calls.push(args);
      if (this.peek() === ",") {
        this.at++;
        continue;
      }
      break;
    }
    this.spaces();
    if (this.at < this.text.length && this.peek() !== ":") this.fail("expected the end, a comma or a colon");
    return calls;
  }
}

/**
 * What an output comment asserts: `{ calls }` (one array of argument nodes per print), or
 * `{ illustration: true }` for "e.g." comments. Throws a SyntaxError naming the column otherwise.
 */
export function parseOutputComment(text) {
  const trimmed = text.trim();
  if (/^e\.g\./.test(trimmed)) return { illustration: true };
  return { calls: new Parser(trimmed).comment() };
}

/** Whether `actual` (a printed value) equals the parsed `node`; the reason when not. */
export function matches(node, actual) {
  switch (node.t) {
    case "string":
    case "number":
    case "boolean":
      return typeof actual === node.t && Object.is(actual, node.v);
    case "null":
      return actual === null;
    case "undefined":
      return actual === undefined;
    case "typed":
      return (
        ArrayBuffer.isView(actual) &&
        actual.constructor.name === node.name &&
        actual.length === node.items.length &&
        node.items.every((item, index) => actual[index] === item)
      );
    case "array":
      return (
        Array.isArray(actual) &&
        actual.length === node.items.length &&
        node.items.every((item, index) => matches(item, actual[index]))
      );
    case "object": {
      if (actual === null || typeof actual !== "object" || Array.isArray(actual) || ArrayBuffer.isView(actual))
        return false;
      const keys = Object.keys(actual);
      return (
        keys.length === node.entries.length &&
        node.entries.every(([key, value]) => Object.hasOwn(actual, key) && matches(value, actual[key]))
      );
    }
    default:
      return false;
  }
}
