import type { StreamReader } from "@asyncstreams/reader";
import type { StreamWriter } from "@asyncstreams/writer";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Sends each command, reads its answer, then half-closes and waits for the server's EOF.
 *
 * @param streams A TCP connection's or a QUIC stream's reader and writer.
 * @param commands The lines to send, without their newline.
 * @returns The answers, in order.
 */
export async function kvClient(
  streams: { reader: StreamReader; writer: StreamWriter },
  commands: readonly string[],
): Promise<string[]> {
  const { reader, writer } = streams;
  const answers: string[] = [];
  for (const command of commands) {
    writer.write(encoder.encode(`${command}\n`));
    answers.push(decoder.decode(await reader.readLine()).trimEnd());
  }
  writer.writeEof(); // TCP half-close or QUIC FIN: the same call
  await reader.read(); // the server's EOF
  writer.close();
  return answers;
}
