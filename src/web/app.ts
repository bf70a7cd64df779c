import express from "express";
import helmet from "helmet";
import path from "node:path";
import { safeJsonValue } from "../out/safe.ts";
import { CHOICE_LABELS } from "../query/params.ts";
import { formatDate } from "../text/dates.ts";
import { admission, type AdmissionLimits } from "./admission.ts";
import { browser } from "./browser.ts";
import { caching } from "./caching.ts";
import { canonicalPath } from "./canonical.ts";
import { compress } from "./compress.ts";
import { errorHandler, notFound, wrongMethod } from "./errors.ts";
import type { Archive } from "../archive.ts";
import { health } from "./health.ts";
import { localHostsOnly, oneHost } from "./hosts.ts";
import { whenReady } from "./loading.ts";
import { routes } from "./routes.ts";
import { urls } from "./urls.ts";
import { PageCache } from "./page-cache.ts";
import { renderView } from "./views.ts";
import type { User } from "../runtime/users.ts";
import { collectionRoutes } from "./collections.ts";
import { identify, requireSignIn, type People } from "./people.ts";
import { savedRoutes } from "./saved.ts";
import { Sessions, type SessionLimits } from "./sessions.ts";
import { Attempts, SIGN_IN_LIMITS, signInRoutes } from "./sign-in.ts";
import { workspaceLocals, workspaceOf, workspaceWeb } from "./workspace.ts";

/** How the app is run. */
export interface AppOptions {
  /** Express's environment (all but `development` cache compiled views). Default NODE_ENV, else development. */
  env?: string;
  /** Answer requests for any host name, not only localhost (when listening beyond loopback). */
  anyHost?: boolean;
  /**
   * Which proxies' `X-Forwarded-For` to believe, as Express's `trust proxy` takes it
   * (`loopback`, addresses or ranges, a number of hops). Default: none. Links never follow
   * `X-Forwarded-Host` or `-Proto`: they use `publicUrl`.
   */
  trustProxy?: string | number;
  /**
   * The origin others reach the archive at (`https://archive.example.org`), for every
   * absolute link (urls.ts `origin`). Default: the address each request came in on.
   */
  publicUrl?: string;
  /** How many searches, batches, diffs and exports are taken at once before a prompt 503. */
  admission?: AdmissionLimits;
  /** Rendered results pages kept until the archive changes (page-cache.ts); 0 keeps none. Default 128. */
  pageCache?: number;
  /** The people of a shared server (`--users`): each signs in and has a workspace of their own. Default: one local person, no sign-in. */
  users?: Map<string, User>;
  /** Keep no collections or saved searches: nothing can be written (`--read-only`). */
  readOnly?: boolean;
  /** How long sessions last and how many are kept (sessions.ts). */
  sessions?: SessionLimits;
  /** The clock of sessions, sign-ins and the workspace, in ms (tests move it). Default Date.now. */
  clock?: () => number;
}

const root = path.resolve(import.meta.dirname, "..", "..");

/** The Express app for an archive. It never listens: `readout serve` and the tests decide where. */
export function createApp(
  archive: Archive,
  options: AppOptions = {},
): express.Express {
  const env = options.env ?? process.env.NODE_ENV ?? "development";
  const app = express();

  // Config
  app.set("env", env);
  // Express decides this from NODE_ENV when the app is made; follow `env` instead, so a
  // server run without NODE_ENV=production does not compile its templates on every page.
  // Only development recompiles them, so an edited template shows on the next page; tests
  // render thousands of pages from templates that do not change.
  app.set("view cache", env !== "development");
  app.set("views", path.join(root, "views"));
  app.set("view engine", "ejs");
  app.engine("ejs", renderView);
  app.set("x-powered-by", false);
  // Every JSON twin: no control or bidi-override character from a document (out/safe.ts).
  app.set("json replacer", safeJsonValue);
  // One spelling per page (see canonical.ts); set before the first route makes the router.
  app.set("case sensitive routing", true);
  app.set("strict routing", true);
  if (options.trustProxy !== undefined)
    app.set("trust proxy", options.trustProxy);
  if (options.publicUrl) app.locals.publicUrl = options.publicUrl;
  app.locals.urls = urls;
  app.locals.choices = CHOICE_LABELS;
  app.locals.formatDate = formatDate;

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
  // Compressed as the client accepts; Cache-Control by kind of page (caching.ts). A request
  // that names two hosts is refused before anything reads either.
  app.use(compress(), caching(), oneHost);
  // For health checks and load balancers: before the host check, and answered while loading.
  app.get("/-/health", health(archive));

  // Only asset-looking paths go to the disk: every search would otherwise cost a failed stat.
  const assets = express.static(path.join(root, "public"), {
    index: false,
    dotfiles: "ignore",
  });
  app.get(/\.(css|js|svg|png|ico)$/, assets);

  // Pages: only for this computer, and once the archive is loaded.
  if (!options.anyHost) app.use(localHostsOnly);
  // Who is asking: with a users file, nothing but the sign-in page before a sign-in.
  const clock = options.clock ?? Date.now;
  const people: People = {
    ...(options.users ? { users: options.users } : {}),
    sessions: new Sessions(options.sessions, clock),
  };
  const workspace = {
    ...(options.readOnly ? { readOnly: true } : {}),
    now: () => new Date(clock()),
  };
  const findWorkspace = workspaceOf(archive, workspace);
  const web = workspaceWeb(archive, people, findWorkspace, workspace);
  app.use(
    identify(people),
    signInRoutes(people, new Attempts(SIGN_IN_LIMITS, clock)),
    requireSignIn(people),
  );
  // Each heavy route waits for its turn in a bounded queue, or is refused at once (admission.ts).
  const admit = admission(options.admission);
  app.use(
    whenReady(archive),
    workspaceLocals(findWorkspace),
    routes(archive, admit, new PageCache(options.pageCache)),
    collectionRoutes(web, admit),
    savedRoutes(web, admit),
    browser(archive),
  );

  // Nothing above answered: a redirect to the page's one spelling, 405 for a path some route
  // takes, else 404; then every error through one handler.
  app.use(canonicalPath, wrongMethod, notFound);
  app.use(errorHandler);
  return app;
}
