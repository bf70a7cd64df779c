/** Links for a results pager: previous/next and a window of page numbers with gaps. */
export interface Pager {
  prev?: string;
  next?: string;
  pages: ({ n: number; href: string; current: boolean } | { gap: true })[];
}

/** Pages 1 and last, and two either side of the current one; `…` stands for the rest. */
export function buildPager(
  page: number,
  pageCount: number,
  href: (page: number) => string,
): Pager {
  const shown = new Set([1, pageCount]);
  for (let n = page - 2; n <= page + 2; n++)
    if (n >= 1 && n <= pageCount) shown.add(n);
  const pages: Pager["pages"] = [];
  let last = 0;
  for (const n of [...shown].sort((a, b) => a - b)) {
    if (n > last + 1) pages.push({ gap: true });
    pages.push({ n, href: href(n), current: n === page });
    last = n;
  }
  return {
    ...(page > 1 ? { prev: href(page - 1) } : {}),
    ...(page < pageCount ? { next: href(page + 1) } : {}),
    pages: pageCount > 1 ? pages : [],
  };
}
