// Package ssml builds and checks the Speech Synthesis Markup Language documents Alexa speaks.
//
// Alexa fails the whole turn on invalid SSML, so the Builder escapes every piece of text,
// splits long silences into breaks of at most 10 s, and refuses documents of 8,000
// characters or more. Walk reads a document back, for validation and for the local console;
// it is strict: one <speak> root, only Alexa's tags and their attributes, break times as
// Alexa writes them, at most MaxAudio clips. Package ssmltest checks documents a second
// time with Amazon-side tooling (the npm package ssml-check-core).
package ssml
