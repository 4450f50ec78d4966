// Reads a Server-Sent Events response the way a browser's EventSource does (frames split on
// a blank line; comment lines kept apart), for the live stream's tests.

export type Frame = { id: string | null; event: string; data: string };

/** Reads Server-Sent Events frames from a response body. */
export class SseReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();
  readonly comments: string[] = [];
  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** The next frame, or null when the stream ended. Waits as long as the test's own timeout allows. */
  async next(): Promise<Frame | null> {
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const frame: Frame = { id: null, event: "message", data: "" };
        let hasField = false;
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) {
            this.comments.push(line);
            continue;
          }
          const [field, ...rest] = line.split(":");
          const value = rest.join(":").replace(/^ /, "");
          if (field === "id") frame.id = value;
          if (field === "event") frame.event = value;
          if (field === "data") frame.data = value;
          if (field !== "retry") hasField = true;
        }
        if (hasField) return frame;
        continue;
      }
      const { value, done } = await this.reader.read();
      if (done) return null;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  cancel() {
    return this.reader.cancel();
  }
}
