// Package screen makes what the skill shows on a device with a screen (Echo Show, Echo Spot,
// Fire TV): Alexa Presentation Language (APL) documents, their data sources, and the
// Alexa.Presentation.APL.RenderDocument directives that carry them. Screens follow the
// voice. They never change what Alexa says, and a device without a screen gets none of
// this.
//
// All the text on a screen comes in from the caller, in the words of the voice catalog for
// the request's locale. The documents hold no sentences, only layout, the three poses drawn
// as Alexa Vector Graphics (no hosted images), and the timeline of a side. The documents are
// JSON files in apl/, kept readable there and compacted when the package loads.
//
// # Keeping the screen on the spoken rep
//
// A side is one long SSML outputSpeech (three movements of five reps, with breaks for the
// pauses). The screen has to show the rep Alexa is saying while the session and the
// microphone behave exactly as they do on a device without a screen. APL offers two ways to
// do it:
//
//   - Speech stays in outputSpeech, and the screen follows a timeline: the document's
//     onMount runs a Sequential of SetValue commands that change the movement and the rep,
//     each after a delay worked out from the same timing model the skill uses to tell
//     where someone cut in (pauses exactly, words at skill.WordsPerSecond).
//   - Speech moves into APL: the SSML goes into the data source, the ssmlToSpeech
//     transformer turns it into speech, and SpeakItem or SpeakList commands speak it
//     component by component, moving the counter on each item (or on speech marks).
//
// This package does the first, for these reasons:
//
//   - The session and the microphone stay as they are. Alexa opens the microphone once
//     the outputSpeech has been said, and speaks the reprompt if nobody answers, on every
//     device. Speech in APL commands is not outputSpeech: it runs after it, and where the
//     microphone opens relative to it, and whether a reprompt follows, is the device's
//     handling of APL speech, not the skill's. Moving the words would give a screen device
//     a different conversation, not the same one with a picture.
//   - The same words on every device. A voice-only device still needs the outputSpeech, so
//     speech in APL would be a second way of saying the side, to keep equal by hand.
//   - The movement sounds. Each movement starts with a clip from Alexa's sound library
//     (SSML <audio>). The ssmlToSpeech transformer cannot be used with the audio tag.
//   - Interruptions. "Alexa, slower" cuts the outputSpeech the same way on every device,
//     and the skill reckons where it was from the time since the side started, the same
//     reckoning the timeline uses. A touch, on the other hand, runs its commands on APL's
//     main sequencer, which stops a SpeakList playing there.
//   - Timing is in step from the start. Alexa speaks a response's outputSpeech before it
//     runs the ExecuteCommands sent with it, so a timeline sent that way would start when
//     the side ends. The document's onMount runs in normal mode (delays honoured, as APL's
//     core library runs it) when the document is shown, which is when Alexa starts to
//     speak. So the timeline lives in onMount and the package sends no ExecuteCommands.
//
// The cost is that the counter is as exact as the estimate: pauses are exact, words are
// reckoned at skill.WordsPerSecond. That rate is a little slower than Alexa speaks, which
// over a whole side puts the counter late by a few seconds, never early. The timeline runs
// on a sequencer of its own ("count"), so a touch does not stop it, and with screenLock, so
// that the screen does not time out during the long pauses. When the next response arrives
// its RenderDocument replaces the document and so the timeline: every response to a device
// with a screen should carry one (see the engine notes in SideDirective).
//
// # Screen sizes
//
// The documents import nothing (no alexa-layouts, no alexa-viewport-profiles): they are
// smaller that way and checkable offline. Sizes are viewport-relative (vh, vw) resources
// with overrides chosen by when: landscape hubs of every size and TVs share one set, round
// hubs (viewport.shape == 'round') keep everything inside the circle's middle square,
// portrait screens (width < height) stack the drawing above the counter, and TVs
// (viewport.mode == 'tv') keep clear of overscan. Buttons show focus for a TV remote.
//
// Subpackage screentest checks documents and directives with Amazon's validator.
package screen
