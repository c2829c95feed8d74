// Package ssml builds and checks the Speech Synthesis Markup Language documents Alexa speaks.
//
// Alexa fails the whole turn on invalid SSML, so the Builder escapes every piece of text,
// splits long silences into breaks of at most 10 s, and refuses documents of 8,000
// characters or more. Walk reads a document back, for validation and for the local console.
package ssml
