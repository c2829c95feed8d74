// Package console runs the skill in a terminal, playing Alexa's part: it opens a session as
// if the user said "Alexa, start my spine opener", prints what Alexa would say with its
// pauses shown, resolves each typed line through the interaction model, and sends the
// request to the same skill.Handler the Lambda function uses.
package console
