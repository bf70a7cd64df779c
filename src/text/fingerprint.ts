import { terms } from "./terms.ts";

/**
 * What the tokenizer makes of a sample that exercises its rules. An index built by a
 * tokenizer that reads text differently cannot be reused; this string tells them apart.
 */
export const TOKENIZER_FINGERPRINT = terms(
  "Ağdam AĞDAM U.S. Nagorno-Karabakh COVID-\u206019 Azerbaijan’s don't 1,000 3.5 Йошкар ёлка İı ß " +
    "їжак ΟΔΟΣ 述べた 中方坚决反对制裁 والمُفاوضاتُ القاهرة ٢٠٢٣ அரசாங்கம்",
).join(" ");
