/** Which words the archive holds: lets a stemmer judge a spelling by the words that exist. */
export type Known = (word: string) => boolean;
