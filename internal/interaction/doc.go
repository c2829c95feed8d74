// Package interaction reads the skill's interaction model (skill-package/interactionModels)
// and resolves typed utterances through it, the way Alexa resolves speech: the local console
// uses it so that what works there is exactly what the model lets users say.
package interaction
