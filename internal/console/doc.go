// Package console runs the skill in a terminal, playing Alexa's part: it opens a session as
// if the user said "Alexa, start my spine opener", shows what Alexa would say with its
// pauses, resolves each typed line through the interaction model (to the nearest intent, as
// Alexa does), and sends the request to the same skill.Handler the Lambda function uses.
//
// In real time (--realtime) it speaks at the pace the skill reckons with (words at
// skill.WordsPerSecond, pauses exact) under a live line that says where the side is, and a
// line typed at any moment cuts in as "Alexa, …" does on an Echo: the speech stops and the
// request goes out at once, so the skill works out from the true elapsed time where the user
// was. --voice says it through espeak-ng; --record writes it to a WAV file.
package console
