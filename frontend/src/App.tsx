import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { Layout } from './components/Layout';
import { LoginPage } from './features/auth/LoginPage';
import { ProfilePage } from './features/auth/ProfilePage';
import { RequireAuth } from './features/auth/RequireAuth';
import { SignupPage } from './features/auth/SignupPage';
import { HomePage } from './features/matching/HomePage';
import { QuestionListPage } from './features/questions/QuestionListPage';
import { QuestionPage } from './features/questions/QuestionPage';
import { NotFoundPage } from './components/NotFoundPage';

// The session page carries CodeMirror and Yjs: loaded only when a room opens.
const SessionPage = lazy(() => import('./features/session/SessionPage').then((m) => ({ default: m.SessionPage })));

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/signup" element={<SignupPage />} />
        <Route path="/questions" element={<QuestionListPage />} />
        <Route path="/questions/:idOrSlug" element={<QuestionPage />} />
        <Route element={<RequireAuth />}>
          <Route path="/" element={<HomePage />} />
          <Route path="/profile" element={<ProfilePage />} />
          <Route path="/session/:roomId" element={
              <Suspense fallback={<p role="status">Opening the room…</p>}>
                <SessionPage />
              </Suspense>
            } />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
