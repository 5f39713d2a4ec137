import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router-dom';
import { Layout } from './components/Layout';
import { LoginPage } from './features/auth/LoginPage';
import { ProfilePage } from './features/auth/ProfilePage';
import { RequireAdmin } from './features/auth/RequireAdmin';
import { RequireAuth } from './features/auth/RequireAuth';
import { SignupPage } from './features/auth/SignupPage';
import { HistoryPage } from './features/history/HistoryPage';
import { HomePage } from './features/matching/HomePage';
import { QuestionListPage } from './features/questions/QuestionListPage';
import { QuestionPage } from './features/questions/QuestionPage';
import { NotFoundPage } from './components/NotFoundPage';

// The session page carries CodeMirror and Yjs: loaded only when a room opens.
const SessionPage = lazy(() => import('./features/session/SessionPage').then((m) => ({ default: m.SessionPage })));
// An attempt's page shows its code in a read-only CodeMirror: loaded when one opens.
const AttemptPage = lazy(() => import('./features/history/AttemptPage').then((m) => ({ default: m.AttemptPage })));
// Admin pages: only admins ever load them.
const AdminQuestionsPage = lazy(() =>
  import('./features/admin/AdminQuestionsPage').then((m) => ({ default: m.AdminQuestionsPage })),
);
const QuestionEditorPage = lazy(() =>
  import('./features/admin/QuestionEditorPage').then((m) => ({ default: m.QuestionEditorPage })),
);
const AdminUsersPage = lazy(() => import('./features/admin/AdminUsersPage').then((m) => ({ default: m.AdminUsersPage })));

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="loading" role="status">Loading…</p>}>{children}</Suspense>;
}

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
          <Route path="/history" element={<HistoryPage />} />
          <Route path="/history/:attemptId" element={<Loading><AttemptPage /></Loading>} />
          <Route element={<RequireAdmin />}>
            <Route path="/admin/questions" element={<Loading><AdminQuestionsPage /></Loading>} />
            <Route path="/admin/questions/new" element={<Loading><QuestionEditorPage /></Loading>} />
            <Route path="/admin/questions/:id/edit" element={<Loading><QuestionEditorPage /></Loading>} />
            <Route path="/admin/users" element={<Loading><AdminUsersPage /></Loading>} />
          </Route>
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
