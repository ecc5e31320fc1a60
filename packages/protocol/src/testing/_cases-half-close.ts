import { describeDifference, numberedChunk, sameBytes } from "./_bytes.js";
import type { CaseDefinition } from "./_case.js";
import { describe } from "./_describe.js";

export const halfCloseCases: readonly CaseDefinition[] = [
  {
    name: "writeEof() delivers EOF after the data, and the peer can still write back",
    applies: (settings) => settings.halfClose,
    body: async (context) => {
      const { a, b } = context;
      const [ra, rb] = context.attach();
      context.expect(a.canWriteEof(), "canWriteEof() is false although the transport was declared half-close capable");
      const data = numberedChunk(1, 5000);
      a.write(data);
      a.writeEof();
      let threw: unknown;
      try {
        a.write(numberedChunk(2, 10));
      } catch (error) {
        threw = error;
      }
      context.expect(
        threw instanceof Error,
        "write() after writeEof() did not throw (asyncio: Cannot call write() after write_eof())",
      );
      context.mustNotThrow(() => a.writeEof(), "a second writeEof()");
      await context.until(() => rb.eofCount > 0 || rb.lostCount > 0, "eofReceived() on b after a.writeEof()");
      context.expect(
        rb.eofCount > 0,
        `b got connectionLost(${describe(rb.lostWith[0])}) instead of eofReceived() after a.writeEof()`,
      );
      context.expect(
        sameBytes(rb.received(), data),
        `b did not receive the data before EOF: ${describeDifference(rb.received(), data)}`,
      );
      context.expect(
        !b.isClosing() && rb.lostCount === 0,
        "b closed after eofReceived() returned true; it must stay half-open",
      );
      const reply = numberedChunk(3, 3000);
      b.write(reply);
      await context.until(
        () => ra.bytes >= reply.length || ra.lostCount > 0,
        "a to receive b's reply after a.writeEof()",
      );
      context.expect(
        ra.lostCount === 0,
        `a lost its connection (${describe(ra.lostWith[0])}) before reading the reply to its writeEof()`,
      );
      context.expect(
        sameBytes(ra.received(), reply),
        `a did not receive b's reply intact: ${describeDifference(ra.received(), reply)}`,
      );
      b.writeEof();
      await context.until(() => ra.eofCount > 0 || ra.lostCount > 0, "EOF on a after b.writeEof()");
      await context.finish();
    },
  },
  {
    name: "eofReceived() returning false makes the receiving end close itself",
    applies: (settings) => settings.halfClose,
    body: async (context) => {
      const { a, b } = context;
      const [ra, rb] = context.attach();
      rb.eofResult = false;
      const data = numberedChunk(4, 1000);
      a.write(data);
      a.writeEof();
      await context.until(() => rb.lostCount > 0, "connectionLost() on b after its eofReceived() returned false");
      context.expect(rb.eofCount > 0, "b lost its connection without eofReceived() first");
      context.expect(
        rb.lostWith[0] === undefined,
        `b's connectionLost() got ${describe(rb.lostWith[0])}; a clean close passes undefined`,
      );
      context.expect(b.isClosing(), "isClosing() is false on b after it closed itself");
      context.expect(
        sameBytes(rb.received(), data),
        `b did not receive the data before EOF: ${describeDifference(rb.received(), data)}`,
      );
      await context.until(() => ra.eofCount > 0 || ra.lostCount > 0, "EOF or connectionLost() on a after b closed");
      await context.finish();
    },
  },
  {
    name: "writeEof() throws and canWriteEof() is false where half-close is not supported, and the connection goes on",
    applies: (settings) => !settings.halfClose,
    body: async (context) => {
      const { a } = context;
      const [, rb] = context.attach();
      context.expect(
        !a.canWriteEof(),
        "canWriteEof() is true although the transport was declared unable to half-close",
      );
      let threw: unknown;
      try {
        a.writeEof();
      } catch (error) {
        threw = error;
      }
      context.expect(
        threw instanceof Error && threw.message.length > 0,
        "writeEof() did not throw an Error with a message where half-close is not supported",
      );
      context.expect(!a.isClosing(), "the transport is closing after a refused writeEof()");
      const data = numberedChunk(5, 100);
      a.write(data);
      await context.until(() => rb.bytes >= data.length, "data written after a refused writeEof() to arrive");
      context.expect(
        sameBytes(rb.received(), data),
        `data written after a refused writeEof() did not arrive intact: ${describeDifference(rb.received(), data)}`,
      );
      await context.finish();
    },
  },
];
