// Package alexa models the JSON envelope of the Alexa Skills Kit: the requests Alexa sends to
// a custom skill's endpoint and the responses the skill returns, as plain structs with JSON
// tags in the style of aws-lambda-go/events. It also holds small clients for Alexa's APIs:
// Settings, which reads a device's time zone, and Reminders, which creates, lists, updates
// and deletes the skill's reminders; and the Connections directive that asks the person, by
// voice, for the reminders permission.
//
// The types describe the wire format only; deciding what to say lives in package skill.
package alexa
