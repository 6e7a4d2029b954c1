/**
 * Friendly random display names for new visitors, such as "Amber Otter":
 * two short words, always within the protocol's name limit.
 *
 * @example
 * ```ts
 * randomName(); // "Quiet Heron"
 * ```
 *
 * @module
 */

const ADJECTIVES = (
  "Amber Bold Brave Breezy Bright Calm Clever Cosmic Cozy Crisp Curious Daring Dapper Eager Fluffy Gentle Glad " +
  "Golden Happy Jolly Keen Kind Lively Lucky Mellow Merry Misty Nimble Plucky Polite Quick Quiet Rosy Sandy Silver " +
  "Snappy Sunny Swift Witty Zesty"
).split(" ");

const ANIMALS = (
  "Badger Beaver Bison Crane Dolphin Falcon Ferret Finch Fox Gecko Heron Hedgehog Ibis Koala Lemur Lynx Marmot " +
  "Moose Narwhal Newt Ocelot Orca Otter Owl Panda Pelican Penguin Puffin Quokka Rabbit Raven Robin Seal Sparrow " +
  "Squirrel Tapir Tiger Turtle Walrus Wombat"
).split(" ");

/** A random "Adjective Animal" name; `random` returns numbers in [0, 1) like `Math.random`. */
export function randomName(random: () => number = Math.random): string {
  const pick = (words: string[]) => words[Math.min(words.length - 1, Math.floor(random() * words.length))];
  return `${pick(ADJECTIVES)} ${pick(ANIMALS)}`;
}
