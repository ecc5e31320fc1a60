import { channel } from "node:diagnostics_channel";
import type { Channel } from "node:diagnostics_channel";
import { DIAGNOSTICS_CHANNELS } from "./diagnostics-channels.js";

/**
 * The channel objects behind `DIAGNOSTICS_CHANNELS`, made once: publishers test `hasSubscribers`
 * (a property read) before building a message, which is the whole cost while nobody listens.
 */
export const diagnostics: { readonly [K in keyof typeof DIAGNOSTICS_CHANNELS]: Channel } = {
  connect: channel(DIAGNOSTICS_CHANNELS.connect),
  accept: channel(DIAGNOSTICS_CHANNELS.accept),
  close: channel(DIAGNOSTICS_CHANNELS.close),
  pause: channel(DIAGNOSTICS_CHANNELS.pause),
  resume: channel(DIAGNOSTICS_CHANNELS.resume),
};
