// Package alexa models the JSON envelope of the Alexa Skills Kit: the requests Alexa sends to
// a custom skill's endpoint and the responses the skill returns, as plain structs with JSON
// tags in the style of aws-lambda-go/events. It also holds the small client for the Alexa
// Settings API that reads a device's time zone.
//
// The types describe the wire format only; deciding what to say lives in package skill.
package alexa
