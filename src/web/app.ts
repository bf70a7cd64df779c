import express from "express";
import helmet from "helmet";
import path from "node:path";
import { formatDate } from "../dates.ts";
import { browser } from "./browser.ts";
import { errorHandler, notFound } from "./errors.ts";
import { routes, type Archive } from "./routes.ts";
import { urls } from "./urls.ts";

export type { Archive } from "./routes.ts";

const root = path.resolve(import.meta.dirname, "..", "..");

/** The Express app for an archive. It never listens: cli.ts and the tests decide where. */
export function createApp(
  archive: Archive,
  env = process.env.NODE_ENV ?? "development",
): express.Express {
  const app = express();

  // Config
  app.set("env", env);
  app.set("views", path.join(root, "views"));
  app.set("view engine", "ejs");
  app.set("x-powered-by", false);
  app.locals.urls = urls;
  app.locals.formatDate = formatDate;
  app.locals.overview = archive.corpus.overview;

  // General
  // First, so static files, JSON and error pages carry the headers too. The policy is
  // explicit rather than helmet's defaults: no inline script or style anywhere, and no HSTS
  // or upgrade-insecure-requests, which would break Readout on plain http://127.0.0.1.
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      strictTransportSecurity: false,
      referrerPolicy: { policy: "no-referrer" },
      xFrameOptions: { action: "deny" },
    }),
  );
  app.use(
    express.static(path.join(root, "public"), {
      index: false,
      dotfiles: "ignore",
    }),
  );

  // Pages
  app.use(routes(archive));
  app.use(browser(archive));

  // Nothing above answered: 404, then every error through one handler.
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
