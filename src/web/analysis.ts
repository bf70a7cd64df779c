import type { Request, Response } from "express";
import type { Archive } from "../archive.ts";
import { parseQuery } from "../query/params.ts";
import type { Admit } from "./admission.ts";
import { strictRouter } from "./canonical.ts";
import { compareCsv, compareModel, readCompare } from "./compare-model.ts";
import {
  concordanceCsv,
  concordanceModel,
  lineHref,
  ORDERS,
  readOrder,
} from "./concordance-model.ts";
import { HttpError } from "./errors.ts";
import { whenGone } from "./gone.ts";
import { namesCsv, namesModel } from "./names-model.ts";
import { termsCsv, termsModel } from "./terms-model.ts";
import { absoluteUrl } from "./urls.ts";

/**
 * The views that read the archive as a whole (issue 26): `/compare`, `/concordance`, `/terms`,
 * `/names`. Each
 * is a page, a JSON twin and a CSV, and bounded work that waits for a turn in the exports'
 * pool, since one request may count over every statement.
 */
export function analysisRoutes(archive: Archive, admit: Admit) {
  const router = strictRouter();
  const fields = () => archive.fields();

  router.get(
    ["/compare", "/compare.json", "/compare.csv"],
    admit.export,
    async (req, res) => {
      if (!archive.compare) throw unsupported(req);
      const base = parseQuery(req.query, fields());
      const request = readCompare(base, req.query, fields());
      const page = await archive.compare(
        request.queries,
        request.unit,
        whenGone(res),
      );
      const model = compareModel(page, request);
      if (req.path.endsWith(".json")) {
        const { html: _html, hidden: _hidden, ...numbers } = model;
        return res.json(numbers);
      }
      if (req.path.endsWith(".csv"))
        return sendCsv(res, "compare", model.queries, compareCsv(model));
      const title = model.queries.length
        ? `${model.queries.join(" vs ")} – compare over time`
        : "Compare over time";
      res.render("compare", { title, query: base, c: model });
    },
  );

  router.get(
    ["/concordance", "/concordance.json", "/concordance.csv"],
    admit.export,
    async (req, res) => {
      if (!archive.concordance) throw unsupported(req);
      const query = parseQuery(req.query, fields());
      const notes: string[] = [];
      const order = readOrder(req.query.order, notes);
      const page = await archive.concordance(
        query,
        order ? ORDERS[order]!.order : undefined,
        whenGone(res),
      );
      if (req.path.endsWith(".csv"))
        return sendCsv(
          res,
          "concordance",
          [query.q],
          concordanceCsv(page, (line) =>
            absoluteUrl(req, lineHref(line, query)),
          ),
        );
      const model = concordanceModel(page, query, order, notes);
      if (req.path.endsWith(".json")) {
        const { hidden: _hidden, ...lines } = model;
        return res.json(lines);
      }
      res.render("concordance", {
        title: query.q ? `${query.q} – concordance` : "Concordance",
        query,
        k: model,
      });
    },
  );

  router.get(
    ["/terms", "/terms.json", "/terms.csv"],
    admit.export,
    async (req, res) => {
      if (!archive.terms) throw unsupported(req);
      const query = parseQuery(req.query, fields());
      const model = termsModel(
        await archive.terms(query, whenGone(res)),
        query,
      );
      if (req.path.endsWith(".csv"))
        return sendCsv(res, "terms", [query.q], termsCsv(model));
      if (req.path.endsWith(".json")) {
        const { hidden: _hidden, ...terms } = model;
        return res.json(terms);
      }
      res.render("terms", {
        title: query.q ? `${query.q} – what stands out` : "What stands out",
        query,
        t: model,
      });
    },
  );

  router.get(
    ["/names", "/names.json", "/names.csv"],
    admit.export,
    async (req, res) => {
      if (!archive.names) throw unsupported(req);
      const query = parseQuery(req.query, fields());
      const model = namesModel(
        await archive.names(query, whenGone(res)),
        query,
      );
      const named = model.chosen.map((c) => c.name);
      if (req.path.endsWith(".csv"))
        return sendCsv(res, "names", [...named, query.q], namesCsv(model));
      if (req.path.endsWith(".json")) {
        const { hidden: _hidden, ...names } = model;
        return res.json(names);
      }
      res.render("names", {
        title: named.length
          ? `${named.join(", ")} – named together`
          : "People, places and organisations",
        query,
        n: model,
      });
    },
  );

  return router;
}

function unsupported(req: Request): HttpError {
  return new HttpError(404, `This archive cannot answer ${req.path}.`);
}

function sendCsv(res: Response, view: string, words: string[], csv: string) {
  const name = words
    .join(" ")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|(?<!-)-+$/g, "")
    .slice(0, 40);
  res.attachment(
    `readout-${view}-${name || "all"}-${new Date().toISOString().slice(0, 10)}.csv`,
  );
  res.type("text/csv; charset=utf-8").send(csv);
}
