/**
 * The archive's people, places and organisations as the pipeline reads them (issue 26): the
 * forms a store holds per name field (`Store.fieldValues`), grouped across inflections and
 * scripts by `groupNames`, so that a facet shows one value per entity and choosing it, or
 * asking `person:Zelensky`, finds every form. Worked out once per set of values a store gives.
 */
import type { NameFilter, Store } from "../engines/store.ts";
import type { FieldNode, QueryNode } from "../query/ast.ts";
import { isNameField, NAME_FIELDS, type NameField } from "../query/fields.ts";
import { terms } from "../text/terms.ts";
import {
  groupNames,
  parseName,
  sameName,
  type NameGroup,
  type ParsedName,
} from "./entities.ts";

/** The groups of one archive's names, and the way from a form to its group and back. */
export interface NameIndex {
  /** Per name field, its groups, most statements first. */
  groups: Map<NameField, NameGroup[]>;
  /** Per name field, the forms that are not their group's name, to that name. */
  groupOf: Map<string, Map<string, string>>;
  /**
   * The forms of the groups named `names`, or holding them as forms (`Zelensky`, typed by
   * hand, is one of Volodymyr Zelenskyy's); a name no group has stands for itself.
   */
  formsOf(field: NameField, names: readonly string[]): string[];
  /** The groups a query's value names: by a group's name or form, else by `sameName`. */
  find(field: NameField, text: string): NameGroup[];
}

/** Forms grouped per name field, the most named first; rarer ones are groups of their own. */
export const GROUPED = 5000;

const indexes = new WeakMap<Map<string, Map<string, number>>, NameIndex>();

/** The name index of the values a store holds now. */
export function nameIndex(store: Store): NameIndex {
  const values = store.fieldValues();
  let index = indexes.get(values);
  if (!index) indexes.set(values, (index = buildIndex(values)));
  return index;
}

function buildIndex(values: Map<string, Map<string, number>>): NameIndex {
  const groups = new Map<NameField, NameGroup[]>();
  const groupOf = new Map<string, Map<string, string>>();
  const byName = new Map<string, NameGroup>();
  const parsed = new Map<NameGroup, ParsedName[]>();
  for (const field of NAME_FIELDS) {
    const forms = values.get(field);
    if (!forms) continue;
    // The most named forms are grouped; the rest, each given by few statements, stand alone:
    // grouping compares forms pairwise within sound buckets, minutes over every form of a
    // large archive, and blocks every search until done.
    const entries = [...forms]
      .map(([name, count]) => ({ type: field, name, count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
    const list = [
      ...groupNames(entries.slice(0, GROUPED)),
      ...entries.slice(GROUPED).map((e) => ({ ...e, forms: [e.name] })),
    ];
    groups.set(field, list);
    const renamed = new Map<string, string>();
    for (const g of list) {
      byName.set(`${field}\0${g.name}`, g);
      for (const form of g.forms)
        if (form !== g.name) renamed.set(form, g.name);
    }
    groupOf.set(field, renamed);
  }
  const parsedOf = (g: NameGroup) => {
    let p = parsed.get(g);
    if (!p)
      parsed.set(
        g,
        (p = g.forms.map((name) =>
          parseName({ type: g.type, name, count: 0 }),
        )),
      );
    return p;
  };
  const renamedOf = (field: string, form: string) =>
    groupOf.get(field)?.get(form) ?? form;
  return {
    groups,
    groupOf,
    formsOf(field, names) {
      const out = new Set<string>();
      for (const name of names) {
        const g = byName.get(`${field}\0${renamedOf(field, name)}`);
        for (const form of g ? g.forms : [name]) out.add(form);
      }
      return [...out];
    },
    find(field, text) {
      // The group of the form as written, and every grouped name it is a form of: `Zelensky`
      // is a lone surname's group and Volodymyr Zelenskyy's.
      const found = new Set<NameGroup>();
      const own = byName.get(`${field}\0${renamedOf(field, text)}`);
      if (own) found.add(own);
      const list = (groups.get(field) ?? []).slice(0, GROUPED);
      const folded = fold(text);
      const asked = parseName({ type: field, name: text, count: 0 });
      for (const g of list)
        if (
          g.forms.some((f) => fold(f) === folded) ||
          (asked.words.length > 0 &&
            parsedOf(g).some((p) => sameName(asked, p)))
        )
          found.add(g);
      return [...found];
    },
  };
}

/**
 * Takes the name fields (`person:…`) out of a query's tree: each one that stands in the
 * top-level conjunction, or is excluded there, becomes a `NameFilter` over its groups' forms.
 * One inside `OR` cannot be a filter: it is left in the tree, where it matches nothing, and
 * `nested` says so.
 */
export function splitNames(
  root: QueryNode | undefined,
  index: () => NameIndex,
): { tree: QueryNode | undefined; names: NameFilter[]; nested: boolean } {
  const names: NameFilter[] = [];
  const filterOf = (node: FieldNode, not: boolean): NameFilter => {
    const field = node.field as NameField;
    const found = index().find(field, node.text);
    return {
      field,
      forms: index().formsOf(
        field,
        found.map((g) => g.name),
      ),
      ...(not ? { not: true } : {}),
    };
  };
  const take = (node: QueryNode): boolean => {
    if (node.type === "field" && isNameField(node.field)) {
      names.push(filterOf(node, false));
      return true;
    }
    if (
      node.type === "not" &&
      node.child.type === "field" &&
      isNameField(node.child.field)
    ) {
      names.push(filterOf(node.child, true));
      return true;
    }
    return false;
  };
  let tree = root;
  if (root && take(root)) tree = undefined;
  else if (root?.type === "and") {
    const rest = root.children.filter((c) => !take(c));
    tree =
      rest.length === 0
        ? undefined
        : rest.length === 1
          ? rest[0]
          : { ...root, children: rest };
  }
  return { tree, names, nested: tree !== undefined && hasName(tree) };
}

function hasName(node: QueryNode): boolean {
  if (node.type === "field") return isNameField(node.field);
  if (node.type === "not") return hasName(node.child);
  if (node.type === "and" || node.type === "or")
    return node.children.some(hasName);
  return false;
}

const fold = (text: string) => terms(text).join(" ");
