import { Router } from "express";
import type { Archive } from "../archive.ts";
import {
  advancedQuery,
  readAdvancedForm,
  type AdvancedForm,
} from "../query/advanced.ts";
import { firstValue, SORTS, type Sort } from "../query/params.ts";
import { languageName } from "./search-model.ts";
import { urls } from "./urls.ts";

/**
 * The advanced search form: all of, any of, an exact phrase, none of, in the title only,
 * source, language, dates and order. It fills in the query language (`advancedQuery`) and
 * sends the visitor to the results of that query, whose search box then shows the syntax.
 * `/advanced.json` gives the query a form makes, which the page shows as it is filled in.
 */
export function advancedRoutes(archive: Archive): Router {
  const router = Router();

  router.get(["/advanced", "/advanced.json"], (req, res) => {
    const form = readAdvancedForm(req.query);
    const sort = readSort(firstValue(req.query.sort));
    const q = advancedQuery(form);
    const href = urls.search({ q, sort });
    if (req.path.endsWith(".json")) return res.json({ q, sort, href });
    if (q) return res.redirect(302, href);
    const overview = archive.overview();
    res.render("advanced", {
      title: "Advanced search",
      form,
      sort,
      sources: overview.sources.map((s) => s.name),
      languages: overview.languages.map((l) => ({
        code: l.code,
        name: languageName(l.code),
      })),
    });
  });

  return router;
}

function readSort(raw: string): Sort {
  return (SORTS as readonly string[]).includes(raw) ? (raw as Sort) : SORTS[0];
}

export type { AdvancedForm };
