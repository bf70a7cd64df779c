import type { Response } from "express";

/** The reason a request's work stops when its client has gone away: nobody is left to answer. */
export class ClientGone extends Error {
  constructor() {
    super("web: the client went away before the answer was ready");
  }
}

/** Aborts, with `ClientGone`, when the connection closes before the response is finished. */
export function whenGone(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort(new ClientGone());
  });
  return controller.signal;
}
